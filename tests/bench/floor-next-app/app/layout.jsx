/** The empty app's root layout: this app differs from it only by the form at /form. */
export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
