// `pnpm --filter @userstream/web admin:hash-password`: reads a password from stdin (typed without
// echo on a terminal, or piped) and prints its ADMIN_PASSWORD_HASH.
//
// Node 20 cannot run TypeScript and the web has no TS runner, so this transpiles the one module
// that hashes (it imports only node:crypto) and imports it from memory: one implementation, no copy.
import { readFile } from "node:fs/promises";

const MIN_LENGTH = 12;

async function loadPasswordModule() {
  // Loaded only now: TypeScript takes a second to load, and the prompt should not wait for it.
  const { default: ts } = await import("typescript");
  const source = await readFile(new URL("../src/config/password-hash.ts", import.meta.url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputText).toString("base64")}`);
}

/** On a terminal: prompt on stderr, read one line without echoing it. */
function promptHidden() {
  return new Promise((resolve, reject) => {
    process.stderr.write("Password: ");
    let value = "";
    process.stdin.setRawMode(true);
    process.stdin.setEncoding("utf8");
    const onData = (chunk) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") {
          process.stdin.setRawMode(false);
          process.stdin.off("data", onData);
          process.stdin.pause();
          process.stderr.write("\n");
          resolve(value);
          return;
        }
        if (char === "\u0003") {
          process.stdin.setRawMode(false);
          reject(new Error("cancelled"));
          return;
        }
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    process.stdin.on("data", onData);
  });
}

/** Piped: everything, without the one line ending `echo` adds. */
async function readPiped() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

try {
  const password = process.stdin.isTTY ? await promptHidden() : await readPiped();
  if (password.length < MIN_LENGTH) {
    console.error(`The password must be at least ${MIN_LENGTH} characters.`);
    process.exit(1);
  }
  const { hashPassword } = await loadPasswordModule();
  console.log(await hashPassword(password));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
