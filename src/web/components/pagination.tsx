interface PaginationProps {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}

/** Previous and next buttons for cursor-paginated lists. */
export function Pagination({ hasPrevious, hasNext, onPrevious, onNext }: PaginationProps) {
  return (
    <nav className="pagination" aria-label="Pagination">
      <button type="button" className="button" disabled={!hasPrevious} onClick={onPrevious}>
        ← Previous
      </button>
      <button type="button" className="button" disabled={!hasNext} onClick={onNext}>
        Next →
      </button>
    </nav>
  );
}
