import { Form } from "./form";

/** Dynamic, as the onboarding page is (it reads the session). */
export const dynamic = "force-dynamic";

export default function Page() {
  return <Form />;
}
