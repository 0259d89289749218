export { OWNER_VARIABLE, currentOwner, ownedName, ownedPrefix, ownerEnv, ownerOfName, ownerOfTag, ownerState, type Owner } from "./owner";
export { isAddressInUse, onFreePort, onFreePorts, reportedPort } from "./ports";
export { sampleValue } from "./prometheus-text";
