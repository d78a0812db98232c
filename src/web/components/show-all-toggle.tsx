import type { ListLimit } from '../lib/use-list-limit';

const countFormat = new Intl.NumberFormat('en');

interface ShowAllToggleProps {
  list: ListLimit<unknown>;
  /** Plural noun for the items, as "tags". */
  noun: string;
}

/** Renders "Show all N tags" under a cut list, and "Show fewer tags" once it is whole. */
export function ShowAllToggle({ list, noun }: ShowAllToggleProps) {
  if (list.totalCount <= list.limit) {
    return null;
  }

  return (
    <button
      type="button"
      className="text-toggle show-all-toggle"
      aria-expanded={list.isShowingAll}
      onClick={list.toggle}
    >
      {list.isShowingAll
        ? `Show fewer ${noun}`
        : `Show all ${countFormat.format(list.totalCount)} ${noun}`}
    </button>
  );
}
