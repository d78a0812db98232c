import { useState } from 'react';

/** The visible part of a list that shows its first items until the user asks for all. */
export interface ListLimit<T> {
  visibleItems: T[];
  totalCount: number;
  /** Number of items shown while the list is cut. */
  limit: number;
  isShowingAll: boolean;
  toggle: () => void;
}

/**
 * Shows the first `limit` items of a list, or all of them after `toggle`. Events can carry
 * thousands of tags or chained exceptions, and rendering them all makes pages unusably long.
 */
export function useListLimit<T>(items: readonly T[], limit: number): ListLimit<T> {
  const [isShowingAll, setIsShowingAll] = useState(false);

  return {
    visibleItems: isShowingAll ? [...items] : items.slice(0, limit),
    totalCount: items.length,
    limit,
    isShowingAll,
    toggle: () => {
      setIsShowingAll((current) => !current);
    },
  };
}
