#!/usr/bin/env bash
# One node of the kubeadm test cluster: the first process of its own mount, UTS and PID namespaces, started inside the
# node's network namespace by cluster.ts (nsenter --net=... unshare --mount --uts --pid --fork --mount-proc).
#
#   node.sh NAME NODE_DIR KUBERNETES_BIN IMAGE_ARCHIVE...
#
# It gives the node its hostname and its own copy of every path kubeadm, the kubelet and containerd hard-code (bind
# mounts of folders under NODE_DIR), starts the node's containerd and imports the images, then keeps a kubelet
# running once kubeadm has written its configuration, as systemd's kubelet unit would (kubeadm only warns that it
# cannot restart a kubelet it does not find as a service). Logs go to NODE_DIR/*.log; NODE_DIR/ready appears once the
# images are in. Killing this process ends the node: the kernel then kills everything in its PID namespace, and its
# mounts go with its mount namespace.
set -euo pipefail
name=$1 dir=$2 k8s_bin=$3
shift 3
export PATH="$k8s_bin:$PATH"

hostname "$name"
# The node's own folders over the paths kubeadm (constants), the kubelet (its root, pod logs) and containerd use.
# /var/log/pods must be per node: a kubelet deletes the pod log folders of pods it does not know.
for pair in etc-kubernetes:/etc/kubernetes var-lib-kubelet:/var/lib/kubelet var-lib-etcd:/var/lib/etcd \
  var-log-pods:/var/log/pods var-log-containers:/var/log/containers run-containerd:/run/containerd \
  var-lib-containerd:/var/lib/containerd etc-containerd:/etc/containerd etc-cni:/etc/cni/net.d; do
  mkdir -p "$dir/${pair%%:*}"
  mount --bind "$dir/${pair%%:*}" "${pair#*:}"
done
chmod 700 "$dir/var-lib-etcd"
# The kubelet mounts each pod's secret and projected volumes (ServiceAccount tokens) under its root; it runs in a mount
# namespace of its own (below), so its root is shared: those mounts reach this namespace, where containerd bind-mounts
# them into the containers, as on a host whose / is shared.
mount --make-rshared /var/lib/kubelet
containerd --config /etc/containerd/config.toml >>"$dir/containerd.log" 2>&1 &
for _ in $(seq 100); do
  ctr version >/dev/null 2>&1 && break
  sleep 0.1
done
for archive in "$@"; do
  ctr -n k8s.io images import --all-platforms "$archive" >>"$dir/containerd.log" 2>&1
done
touch "$dir/ready"

# The kubelet sets these kernel tunables when they differ from what it wants (kernel.panic_on_oops=1 would make any
# oops reboot the machine): in a mount namespace of its own it reads its own values and writes nothing to the host.
# Only the kubelet's: runc refuses to start containers from a namespace whose /proc has files mounted over it.
# (--propagation unchanged keeps /var/lib/kubelet shared; /proc is private here, so these bind mounts stay the kubelet's.)
for tunable in vm/overcommit_memory:1 kernel/panic:10 kernel/panic_on_oops:1; do
  name=${tunable%%:*}
  printf '%s\n' "${tunable#*:}" >"$dir/sysctl-${name//\//-}"
done
export NODE_DIR=$dir

# The kubelet, as kubeadm's systemd drop-in runs it, restarted when it exits. join writes config.yaml before
# kubeadm-flags.env, so both must be there before the first start.
while :; do
  if [[ -f /var/lib/kubelet/config.yaml && -f /var/lib/kubelet/kubeadm-flags.env ]]; then
    # shellcheck disable=SC2016
    unshare --mount --propagation unchanged -- bash -c '
      for tunable in vm/overcommit_memory kernel/panic kernel/panic_on_oops; do
        mount --bind "$NODE_DIR/sysctl-${tunable//\//-}" "/proc/sys/$tunable"
      done
      KUBELET_KUBEADM_ARGS=
      source /var/lib/kubelet/kubeadm-flags.env
      exec kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf \
        --config=/var/lib/kubelet/config.yaml $KUBELET_KUBEADM_ARGS' >>"$dir/kubelet.log" 2>&1 || true
  fi
  sleep 1
done
