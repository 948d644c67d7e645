"""`triage mcp`: the intake API as Model Context Protocol tools, over stdio or streamable HTTP."""
