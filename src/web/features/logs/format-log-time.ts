const logTimeFormat = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
});

/**
 * Formats a log timestamp in the browser's time zone with milliseconds, as "Dec 4, 15:37:25.256".
 * Returns the input unchanged when it is not a valid date.
 */
export function formatLogTime(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : logTimeFormat.format(date);
}
