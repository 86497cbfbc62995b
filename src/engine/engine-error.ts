/** A flow problem found while running, naming where: "flow money › node ask-debt: ...". */
export class FlowError extends Error {
  override name = "FlowError";
  constructor(
    readonly flow: string,
    readonly node: string | undefined,
    detail: string,
  ) {
    super(`flow ${flow}${node ? ` › node ${node}` : ""}: ${detail}`);
  }
}
