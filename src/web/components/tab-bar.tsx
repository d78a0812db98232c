export interface TabItem<T extends string> {
  value: T;
  label: string;
}

interface TabBarProps<T extends string> {
  tabs: TabItem<T>[];
  selected: T;
  onSelect: (value: T) => void;
  /** Accessible name of the tab list. */
  label: string;
}

/** Renders a row of tabs, such as the issue list's status tabs. */
export function TabBar<T extends string>({ tabs, selected, onSelect, label }: TabBarProps<T>) {
  return (
    <div className="tab-bar" role="tablist" aria-label={label}>
      {tabs.map((tab) => (
        <button
          key={tab.value}
          type="button"
          role="tab"
          aria-selected={tab.value === selected}
          className={tab.value === selected ? 'tab tab-selected' : 'tab'}
          onClick={() => {
            onSelect(tab.value);
          }}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
