export default function Page() {
  return <p>Floor</p>;
}
