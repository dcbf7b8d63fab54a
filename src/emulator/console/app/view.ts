/** A tab of the console: started when shown (it may poll), stopped when another tab is chosen. */
export interface View {
  show(): void;
  hide(): void;
}
