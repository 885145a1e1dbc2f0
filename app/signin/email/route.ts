import { emailLinkFromForm } from "@/lib/web/auth/email-link-form";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

/** The sign-in form's post without JavaScript (with it, the form calls next-auth's client). */
export { emailLinkFromForm as POST };

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
