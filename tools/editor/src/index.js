// Entry point of the bundle: window.NewsroomEditor.
export { attach, Editor, parse, serialize, count, schema } from "./editor.js";
