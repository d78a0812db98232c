/** Wall-clock fields of an instant in a time zone. `month` is 1 to 12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Returns whether `Intl` supports the IANA time zone name, such as `Europe/Berlin` or `UTC`. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    // Intl throws a RangeError for an unknown zone name.
    return false;
  }
}

/** Converts an instant to wall-clock time in a time zone. */
export function toWallTime(ms: number, timeZone: string): WallTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') {
      fields[part.type] = Number(part.value);
    }
  }

  return {
    year: fields.year ?? 1970,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
  };
}

/**
 * Returns the instants at which a time zone's clocks show a wall-clock time, earliest first:
 * none in a daylight-saving gap, two in the repeated hour when clocks go back.
 */
export function fromWallTime(wall: WallTime, timeZone: string): number[] {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsets = new Set(
    [-36, 0, 36].map((hours) => offsetAt(asUtc + hours * 3_600_000, timeZone)),
  );

  const instants = [...offsets]
    .map((offset) => asUtc - offset)
    .filter((instant) => sameWallTime(toWallTime(instant, timeZone), wall));
  return [...new Set(instants)].sort((a, b) => a - b);
}

/** Returns how far the zone's clocks are ahead of UTC at an instant, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const minuteStart = Math.floor(ms / 60_000) * 60_000;
  const wall = toWallTime(minuteStart, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - minuteStart;
}

function sameWallTime(a: WallTime, b: WallTime): boolean {
  return (
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute
  );
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
