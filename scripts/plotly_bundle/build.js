// Builds impactkit's plotly.js bundle: plotly.js's core (which holds the scatter trace) and only the
// trace types impactkit's figures draw, minified with esbuild using the settings of plotly.js's own
// esbuild-config.js (IIFE exposing window.Plotly, CSS injected by the script). A bundle of these
// five trace types is 1.4 MB against 4.8 MB for the full plotly.min.js, and the browser parses it
// in a third of the time. Usage: node build.js OUT_FILE (run by build.sh, which installs the pinned
// packages of package-lock.json first).
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

// Keep in step with impactkit/figures: tests/report/test_plotly_bundle.py checks every trace type a
// report draws is here. scatter is part of plotly.js/lib/core.
const TRACES = ['bar', 'sankey', 'scatter', 'scatterpolar', 'waterfall'];

const version = require('plotly.js/package.json').version;
const entry = path.join(__dirname, 'entry.generated.js');
fs.writeFileSync(entry, [
    "'use strict';",
    "var Plotly = require('plotly.js/lib/core');",
    'Plotly.register([',
    ...TRACES.filter((t) => t !== 'scatter').map((t) => `    require('plotly.js/lib/${t}'),`),
    ']);',
    'module.exports = Plotly;',
    '',
].join('\n'));

const out = path.resolve(process.argv[2]);
esbuild.build({
    entryPoints: [entry],
    outfile: out,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'none',
    banner: {
        js: `/*! impactkit plotly.js bundle: plotly.js ${version}; traces: ${TRACES.join(',')} */\n` +
            `/*! plotly.js v${version} | Copyright 2012-2026, Plotly, Inc. | Licensed under the MIT license */`,
    },
    plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'warning',
}).then(() => fs.unlinkSync(entry)).catch(() => process.exit(1));
