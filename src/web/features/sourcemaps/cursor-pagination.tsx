import { Pagination } from '../../components/pagination';
import type { PageLinks } from '../../lib/link-header';

interface CursorPaginationProps {
  pageLinks: PageLinks | undefined;
  onCursorChange: (cursor: string | null) => void;
}

/** Renders previous and next buttons for a list kept in local state, or nothing for one page. */
export function CursorPagination({ pageLinks, onCursorChange }: CursorPaginationProps) {
  const previous = pageLinks?.previous ?? null;
  const next = pageLinks?.next ?? null;
  const hasPrevious = previous?.hasResults === true;
  const hasNext = next?.hasResults === true;

  if (!hasPrevious && !hasNext) {
    return null;
  }

  return (
    <Pagination
      hasPrevious={hasPrevious}
      hasNext={hasNext}
      onPrevious={() => {
        onCursorChange(previous?.cursor ?? null);
      }}
      onNext={() => {
        onCursorChange(next?.cursor ?? null);
      }}
    />
  );
}
