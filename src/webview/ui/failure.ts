// A failed request as the panel shows it: in a form's action bar (a run) or in the notice (the
// rest). DOM-free, so the panel's state (tested in Node) can hold it.
export interface Failure {
  title: string;
  message: string;
  fix?: string;
}
