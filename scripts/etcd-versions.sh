# The etcd (and Kubernetes) versions the project runs on (sourced by the scripts; one place to change them).
# ETCD_DEFAULT: what the demo, the benchmarks and the full suite run on (Kubernetes 1.34+ ships etcd 3.6).
# ETCD_MATRIX: the other versions every test that touches a member also runs on (npm test; ETCD_MATRIX= to skip).
# ETCD_DEBIAN: the version Debian's etcd-server package carries (installed, not built).
# ETCD_KNOWN_BAD: a release with the defragmentation crash (3.5.0-3.5.5), built so the refusal is tested on a real server.
ETCD_DEBIAN=3.4.23
ETCD_DEFAULT=3.6.16
ETCD_MATRIX_DEFAULT="3.4.23 3.5.35 3.7.3"
ETCD_KNOWN_BAD=3.5.5
# KUBERNETES_DEFAULT: the Kubernetes release the kubeadm test cluster is built from (scripts/ensure-kubernetes.sh);
# its kubelet runs on cgroup v1 (these machines) given failCgroupV1: false, and its kubeadm writes etcd 3.6 members.
KUBERNETES_DEFAULT=1.34.4
