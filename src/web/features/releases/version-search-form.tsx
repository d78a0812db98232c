import { SearchForm } from '../../components/search-form';

interface VersionSearchFormProps {
  initialText: string;
  onSearch: (text: string) => void;
}

/** Renders the release list's search box, which filters by part of the version on submit. */
export function VersionSearchForm({ initialText, onSearch }: VersionSearchFormProps) {
  return (
    <SearchForm
      label="Search releases"
      placeholder="Search by version"
      initialText={initialText}
      onSearch={(text) => {
        onSearch(text.trim());
      }}
    />
  );
}
