import { useState, type SubmitEvent } from 'react';

interface VersionSearchFormProps {
  initialText: string;
  onSearch: (text: string) => void;
}

/** Renders the release list's search box, which filters by part of the version on submit. */
export function VersionSearchForm({ initialText, onSearch }: VersionSearchFormProps) {
  const [text, setText] = useState(initialText);

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(text.trim());
  }

  return (
    <form className="search-form" role="search" onSubmit={handleSubmit}>
      <input
        type="search"
        name="query"
        aria-label="Search releases"
        placeholder="Search by version"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
        }}
      />
      <button type="submit" className="button">
        Search
      </button>
    </form>
  );
}
