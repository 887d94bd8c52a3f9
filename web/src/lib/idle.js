// The idle clock: 'ok' until warnSeconds before the server's idle timeout
// (counted from the last answer the server gave), 'warn' then, 'ended'
// after it.
export function idleState(now, lastActivity, minutes, warnSeconds = 60) {
  const left = Math.ceil((lastActivity + minutes * 60000 - now) / 1000)
  if (left <= 0) return { phase: 'ended', secondsLeft: 0 }
  if (left <= warnSeconds) return { phase: 'warn', secondsLeft: left }
  return { phase: 'ok', secondsLeft: left }
}
