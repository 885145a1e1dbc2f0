import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";

type Segment = { params: Promise<{ nextauth: string[] }> };

const handler = (request: NextRequest, segment: Segment) => NextAuth(request, segment, authOptions());

export { handler as GET, handler as POST };
