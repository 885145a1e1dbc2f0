/** The smallest root layout Next.js accepts: the baseline for First Load JS and cold start. */
export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
