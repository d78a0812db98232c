import { SearchForm } from '../../components/search-form';

interface IssueSearchFormProps {
  /** The free text of the current query, without its status filter. */
  initialText: string;
  onSearch: (text: string) => void;
}

/** Renders the issue list's search box, which searches on submit as Sentry's does. */
export function IssueSearchForm({ initialText, onSearch }: IssueSearchFormProps) {
  return (
    <SearchForm
      label="Search issues"
      placeholder="Search issues by title, culprit or message"
      initialText={initialText}
      onSearch={onSearch}
    />
  );
}
