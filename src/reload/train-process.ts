import { spawn, type ChildProcess } from "node:child_process";

/**
 * Trains the matcher for a knowledge-base folder in a separate process (`train.js`), so that
 * the bot's own event loop keeps answering meanwhile. The model lands in the shared cache,
 * where the bot then finds it.
 */
export function createTrainingProcess(trainScript: string) {
  const running = new Set<ChildProcess>();
  return {
    train(knowledgeDir: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [trainScript, "--knowledge", knowledgeDir], { stdio: ["ignore", "ignore", "pipe"] });
        running.add(child);
        let errors = "";
        child.stderr!.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString("utf8")).slice(-4000)));
        child.once("error", (error) => {
          running.delete(child);
          reject(error);
        });
        child.once("exit", (code, signal) => {
          running.delete(child);
          if (code === 0) return resolve();
          const lastLine = errors.trim().split("\n").filter((line) => !line.startsWith("training the matcher")).pop();
          reject(new Error(`training failed (${signal ?? `exit ${code}`})${lastLine ? `: ${lastLine}` : ""}`));
        });
      });
    },
    /** Stops any training under way (at shutdown). */
    stop() {
      for (const child of running) child.kill("SIGTERM");
    },
  };
}
