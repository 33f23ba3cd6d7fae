/**
 * SvgPreview shows a server-rendered SVG through an <img> data URL rather than injecting markup.
 * The server escapes what it interpolates, but an image context is safe whatever the bytes are:
 * browsers never run scripts, event handlers or external loads inside an SVG used as an image,
 * and the page's DOM and styles stay untouched. Nothing in the picture needs to be interactive.
 */
export function SvgPreview({ svg, alt, className }: { svg: string; alt: string; className?: string }) {
  if (!svg) return <div className={`preview-empty ${className ?? ''}`} role="img" aria-label={alt} />;
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return <img className={className} src={src} alt={alt} decoding="async" draggable={false} />;
}
