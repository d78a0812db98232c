interface DroppedCountProps {
  count: number | undefined;
}

/** Renders how many events a filter dropped in the last 30 days. */
export function DroppedCount({ count }: DroppedCountProps) {
  if (count === undefined) {
    return null;
  }

  const events = count === 1 ? 'event' : 'events';
  return (
    <span className="filter-dropped" data-dropped-count={count}>
      {count.toLocaleString('en-US')} {events} dropped in the last 30 days
    </span>
  );
}
