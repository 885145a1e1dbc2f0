import { nextAuthRoute } from "@/lib/web/auth/next-auth-route";
import { otherMethods } from "@/lib/web/http/method-not-allowed";

export { nextAuthRoute as GET, nextAuthRoute as POST };

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
