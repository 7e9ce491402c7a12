/**
 * Stops gracefully on the first SIGTERM/SIGINT, then exits the process; a second signal exits at
 * once (messages still held are redelivered after their visibility timeout). Returns a remover.
 */
export function installSignalHandlers(stop: () => Promise<void>): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    void signal;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
