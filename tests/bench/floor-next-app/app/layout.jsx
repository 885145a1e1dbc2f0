/** The empty app's root layout: this app differs from it only by the form at /form. */
export { default } from "../../empty-next-app/app/layout.jsx";
