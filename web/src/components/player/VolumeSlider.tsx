import { useId } from "react";
import { Icon } from "../Icon";

/** A labelled volume slider, 0..1 (arrow keys move it by 5 %). */
export function VolumeSlider({
  value,
  onChange,
  testId,
}: {
  value: number;
  onChange: (volume: number) => void;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="volume">
      <label htmlFor={id} className="volume-label">
        <Icon name="volume" size={18} />
        <span className="visually-hidden">Volume</span>
      </label>
      <input
        id={id}
        type="range"
        className="range"
        min={0}
        max={1}
        step={0.05}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-valuetext={`${Math.round(value * 100)} %`}
        data-testid={testId}
      />
    </div>
  );
}
