// Package docker holds citychain's deployment files: the container image
// (Dockerfile, rootfs), the balancer image (haproxy/), the compose network
// (compose.yaml, ceremony/), monitoring (prometheus/, grafana/) and the
// systemd units (systemd/). It has no Go code; its tests bring the compose
// network up from nothing with the documented commands and rehearse its
// failure and upgrade procedures (compose_test.go), and check the systemd
// units (systemd_test.go).
package docker
