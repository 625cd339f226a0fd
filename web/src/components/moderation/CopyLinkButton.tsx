import { useToast } from "../feedback/toast-context";
import { Icon } from "../Icon";

/** Copies an address of this site to the clipboard (or shows it when the browser refuses). */
export function CopyLinkButton({ path, label = "Copy link" }: { path: string; label?: string }) {
  const toast = useToast();
  async function onCopy() {
    const url = new URL(path, window.location.href).href;
    try {
      await navigator.clipboard.writeText(url);
      toast.show("Link copied to the clipboard.", "success");
    } catch {
      toast.show(`Copy this link: ${url}`);
    }
  }
  return (
    <button type="button" className="btn btn-secondary btn-sm" onClick={onCopy}>
      <Icon name="share" size={16} />
      {label}
    </button>
  );
}
