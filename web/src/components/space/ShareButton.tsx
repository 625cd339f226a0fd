import { useToast } from "../feedback/toast-context";
import { Icon } from "../Icon";

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Copies the page's address (or `url`), to send to people. */
export function ShareButton({ title, url: link }: { title: string; url?: string }) {
  const toast = useToast();
  async function onShare() {
    const url = link ? new URL(link, window.location.href).href : window.location.href;
    if (await copy(url)) toast.show("Link copied to the clipboard.", "success");
    else toast.show(`Copy this link to share "${title}": ${url}`);
  }
  return (
    <button
      type="button"
      className="btn btn-secondary btn-sm"
      onClick={onShare}
      data-testid="share"
    >
      <Icon name="share" size={16} />
      <span>Share</span>
    </button>
  );
}
