import { useState, type SubmitEvent } from 'react';

interface SearchFormProps {
  /** The accessible name of the search box, such as "Search issues". */
  label: string;
  placeholder: string;
  initialText: string;
  onSearch: (text: string) => void;
  className?: string;
}

/** Renders a search box with a Search button; it searches on submit, not on each key. */
export function SearchForm({
  label,
  placeholder,
  initialText,
  onSearch,
  className,
}: SearchFormProps) {
  const [text, setText] = useState(initialText);

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(text);
  }

  return (
    <form
      className={className === undefined ? 'search-form' : `search-form ${className}`}
      role="search"
      onSubmit={handleSubmit}
    >
      <input
        type="search"
        name="query"
        aria-label={label}
        placeholder={placeholder}
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
