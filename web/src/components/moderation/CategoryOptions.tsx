import { categoryGroups, categoryLabels } from "../../moderation/labels";

/** The report categories as `<optgroup>`s of a `<select>`: illegal content, then Amphi's rules. */
export function CategoryOptions() {
  return categoryGroups.map((group) => (
    <optgroup key={group.ground} label={group.label}>
      {group.categories.map((c) => (
        <option key={c} value={c}>
          {categoryLabels[c]}
        </option>
      ))}
    </optgroup>
  ));
}
