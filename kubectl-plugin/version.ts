// The plugin's version: --version, the exporter's etcd_perf_exporter_info, the krew manifest (package.json's, kept equal).

export const VERSION = '0.1.0';
