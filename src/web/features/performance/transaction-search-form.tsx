import { useState, type SubmitEvent } from 'react';

interface TransactionSearchFormProps {
  initialText: string;
  onSearch: (text: string) => void;
}

/** Renders the transaction list's search box, which filters by name on submit. */
export function TransactionSearchForm({ initialText, onSearch }: TransactionSearchFormProps) {
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
        aria-label="Search transactions"
        placeholder="Search transactions by name"
        maxLength={200}
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
