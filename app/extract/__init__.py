"""Claim extraction: normalise → segment → find figures → parse quantity → classify → attribute → link event."""
