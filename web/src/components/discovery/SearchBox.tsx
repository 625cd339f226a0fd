import { type FormEvent, useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { Icon } from "../Icon";

/** The search field: submitting opens /explore?q=... (the results live there). */
export function SearchBox({
  initial = "",
  autoFocus = false,
}: {
  initial?: string;
  autoFocus?: boolean;
}) {
  const [text, setText] = useState(initial);
  const navigate = useNavigate();
  useEffect(() => setText(initial), [initial]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const q = text.trim();
    navigate(q ? `/explore?q=${encodeURIComponent(q)}` : "/explore");
  }

  return (
    <search className="search-box-wrap">
      <form className="search-box" onSubmit={onSubmit}>
        <label htmlFor="search-input" className="visually-hidden">
          Search Spaces and people
        </label>
        <span className="search-icon" aria-hidden="true">
          <Icon name="search" size={18} />
        </span>
        <input
          id="search-input"
          className="input search-input"
          type="search"
          name="q"
          placeholder="Spaces or people"
          value={text}
          maxLength={100}
          autoComplete="off"
          // biome-ignore lint/a11y/noAutofocus: the Explore page is where people go to search.
          autoFocus={autoFocus}
          onChange={(e) => setText(e.target.value)}
          data-testid="search-input"
        />
        <button type="submit" className="btn btn-primary" data-testid="search-submit">
          Search
        </button>
      </form>
    </search>
  );
}
