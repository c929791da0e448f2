// Prints the licences of the npm packages in the bundle (from esbuild's
// metafile), for admin/static/editor/LICENSES.txt.
import fs from "node:fs";
import path from "node:path";

const meta = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const pkgs = new Set();
for (const input of Object.keys(meta.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) pkgs.add(m[1]);
}
let out = "Licences of the npm packages bundled into editor.js (built by tools/editor/build.sh).\n";
for (const name of [...pkgs].sort()) {
  const dir = path.join("node_modules", name);
  const pj = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const lic = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  out += "\n==== " + name + " " + pj.version + " (" + pj.license + ") ====\n\n";
  out += lic ? fs.readFileSync(path.join(dir, lic), "utf8").trim() + "\n" : "(no licence file in the package; package.json says " + pj.license + ")\n";
}
process.stdout.write(out);
