import { useState, type SubmitEvent } from 'react';

interface IssueSearchFormProps {
  /** The free text of the current query, without its status filter. */
  initialText: string;
  onSearch: (text: string) => void;
}

/** Renders the issue list's search box, which searches on submit as Sentry's does. */
export function IssueSearchForm({ initialText, onSearch }: IssueSearchFormProps) {
  const [text, setText] = useState(initialText);

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(text);
  }

  return (
    <form className="search-form" role="search" onSubmit={handleSubmit}>
      <input
        type="search"
        name="query"
        aria-label="Search issues"
        placeholder="Search issues by title, culprit or message"
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
