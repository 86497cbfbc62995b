/**
 * The `otpauth://` link as a QR code for an authenticator app to scan: an SVG made here by the `qrcode`
 * package, as a `data:` URL (the panel's CSP allows `data:` images and nothing from elsewhere, so the
 * secret never leaves the server in a request to a QR service). Error correction M, a quiet zone of 2.
 */
export async function totpQrSvg(uri: string): Promise<string> {
  // Loaded when a second factor is set up, not at start.
  const { default: QRCode } = await import("qrcode");
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2, color: { dark: "#000000", light: "#ffffff" } });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
