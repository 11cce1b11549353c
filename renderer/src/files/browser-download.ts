/**
 * Opens a download link the browser host made (file.save → 'link'): a hidden <a download> is
 * clicked, so the browser's own download starts and the page stays. Only links to this page's
 * own origin are followed: the link comes from the core, but a renderer never navigates away.
 */
export function startBrowserDownload(url: string): boolean {
  let target: URL;
  try {
    target = new URL(url, window.location.href);
  } catch {
    return false;
  }
  if (target.origin !== window.location.origin) return false;
  const link = document.createElement('a');
  link.href = target.href;
  link.download = ''; // the name comes from the response's Content-Disposition
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  return true;
}
