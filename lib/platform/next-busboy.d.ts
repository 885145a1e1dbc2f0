/** The busboy Next.js compiles in and reads a fetch action's multipart body with. */
declare module "next/dist/compiled/busboy" {
  import busboy from "busboy";
  export = busboy;
}
