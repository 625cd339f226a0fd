import { describeSharedStateConformance } from "../conformance.ts";
import { MemorySharedState } from "./memory-shared-state.ts";

// In one process the whole fleet is this process: both "nodes" are the same state.
describeSharedStateConformance("in-process", async (settings) => {
  const state = new MemorySharedState(settings);
  return { a: state, b: state, close: () => state.close() };
});
