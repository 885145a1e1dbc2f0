/** The empty app's hook, for the same reason (see there). */
export { register } from "../empty-next-app/instrumentation.js";
