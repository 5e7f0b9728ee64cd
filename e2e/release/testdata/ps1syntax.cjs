// ps1syntax.cjs FILE...: parse PowerShell files with the tree-sitter
// PowerShell grammar (npm: tree-sitter-powershell, run by web-tree-sitter;
// both found on NODE_PATH) and print FILE:LINE:COL for each syntax error or
// missing token; exit 1 when there is one. PowerShell itself does not
// install on Debian 12: this is the closest check of install.ps1's syntax
// here. Run node with --liftoff-only: with V8's optimizing tier the process
// can spin for minutes at exit on a loaded machine.
'use strict';
const fs = require('fs');
const { Parser, Language } = require('web-tree-sitter');

(async () => {
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    const tree = parser.parse(fs.readFileSync(file, 'utf8'));
    const walk = (node) => {
      if (node.isError || node.isMissing) {
        errors++;
        const what = node.isMissing ? `missing ${node.type}` : `syntax error at ${JSON.stringify(node.text.slice(0, 40))}`;
        console.log(`${file}:${node.startPosition.row + 1}:${node.startPosition.column + 1}: ${what}`);
        return;
      }
      for (const child of node.children) walk(child);
    };
    walk(tree.rootNode);
    console.log(`${file}: ${tree.rootNode.descendantCount} nodes`);
  }
  process.exit(errors ? 1 : 0);
})().catch((err) => {
  console.error(err);
  process.exit(2);
});
