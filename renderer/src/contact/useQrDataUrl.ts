/**
 * A QR code as a data: URL for an <img> (the CSP allows data: images; injecting SVG markup
 * would mean rendering HTML). Dark modules on white whatever the theme: scanners need it.
 */
import { toString as qrToSvg } from 'qrcode/lib/browser';
import { useEffect, useState } from 'react';

export function useQrDataUrl(payload: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    setUrl(null);
    if (payload === null) return;
    let current = true;
    qrToSvg(payload, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
      color: { dark: '#000000', light: '#ffffff' },
    })
      .then((svg) => {
        if (current) setUrl(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      // A payload too long for a QR code leaves the digits alone on screen; they suffice.
      .catch(() => {
        if (current) setUrl(null);
      });
    return () => {
      current = false;
    };
  }, [payload]);
  return url;
}
