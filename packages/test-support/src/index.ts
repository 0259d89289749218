export { OWNER_VARIABLE, currentOwner, ownedName, ownedPrefix, ownerEnv, ownerOfName, ownerOfTag, ownerState, type Owner } from "./owner";
export { isAddressInUse, onFreePort, onFreePorts, reportedPort } from "./ports";
export { sampleValue } from "./prometheus-text";
export { requestFrom, type RequestFromInit } from "./request-from";
