// A gophercloud client of minova: authenticate from OS_* variables (the
// test derives them from the clouds.yaml minova writes), look up the image,
// the flavor and the network by name, create a server, wait for ACTIVE,
// delete it and wait until it is gone. Exits non-zero on any error.
//
// Built in GOPATH mode against Debian's gophercloud 0.12
// (golang-github-gophercloud-gophercloud-dev), whose AuthOptionsFromEnv
// reads OS_DOMAIN_NAME for the user's and the project's domain.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/gophercloud/gophercloud"
	"github.com/gophercloud/gophercloud/openstack"
	"github.com/gophercloud/gophercloud/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/openstack/imageservice/v2/images"
	"github.com/gophercloud/gophercloud/openstack/networking/v2/networks"
)

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "gophercloud: %s: %v\n", what, err)
	os.Exit(1)
}

func main() {
	opts, err := openstack.AuthOptionsFromEnv()
	if err != nil {
		fail("auth options", err)
	}
	provider, err := openstack.AuthenticatedClient(opts)
	if err != nil {
		fail("authenticate", err)
	}
	where := gophercloud.EndpointOpts{Region: os.Getenv("OS_REGION_NAME")}
	compute, err := openstack.NewComputeV2(provider, where)
	if err != nil {
		fail("compute endpoint", err)
	}
	network, err := openstack.NewNetworkV2(provider, where)
	if err != nil {
		fail("network endpoint", err)
	}
	image, err := openstack.NewImageServiceV2(provider, where)
	if err != nil {
		fail("image endpoint", err)
	}

	imagePages, err := images.List(image, images.ListOpts{Name: "cirros"}).AllPages()
	if err != nil {
		fail("image list", err)
	}
	imageList, err := images.ExtractImages(imagePages)
	if err != nil || len(imageList) != 1 {
		fail("image cirros", fmt.Errorf("%v %v", imageList, err))
	}

	flavorPages, err := flavors.ListDetail(compute, flavors.ListOpts{}).AllPages()
	if err != nil {
		fail("flavor list", err)
	}
	flavorList, err := flavors.ExtractFlavors(flavorPages)
	if err != nil {
		fail("flavor extract", err)
	}
	flavorID := ""
	for _, flavor := range flavorList {
		if flavor.Name == "m1.tiny" {
			flavorID = flavor.ID
		}
	}
	if flavorID == "" {
		fail("flavor m1.tiny", fmt.Errorf("not in %v", flavorList))
	}

	netPages, err := networks.List(network, networks.ListOpts{Name: "private"}).AllPages()
	if err != nil {
		fail("network list", err)
	}
	netList, err := networks.ExtractNetworks(netPages)
	if err != nil || len(netList) != 1 {
		fail("network private", fmt.Errorf("%v %v", netList, err))
	}

	server, err := servers.Create(compute, servers.CreateOpts{
		Name:      "gophercloud-vm",
		ImageRef:  imageList[0].ID,
		FlavorRef: flavorID,
		Networks:  []servers.Network{{UUID: netList[0].ID}},
	}).Extract()
	if err != nil {
		fail("server create", err)
	}
	if err := servers.WaitForStatus(compute, server.ID, "ACTIVE", 120); err != nil {
		fail("wait for ACTIVE", err)
	}
	active, err := servers.Get(compute, server.ID).Extract()
	if err != nil {
		fail("server get", err)
	}
	if _, ok := active.Addresses["private"]; !ok {
		fail("server addresses", fmt.Errorf("no private address: %v", active.Addresses))
	}
	fmt.Printf("ACTIVE %s %v\n", active.ID, active.Addresses)

	if err := servers.Delete(compute, server.ID).ExtractErr(); err != nil {
		fail("server delete", err)
	}
	deadline := time.Now().Add(120 * time.Second)
	for {
		_, err := servers.Get(compute, server.ID).Extract()
		if _, gone := err.(gophercloud.ErrDefault404); gone {
			break
		}
		if err != nil {
			fail("server get after delete", err)
		}
		if time.Now().After(deadline) {
			fail("server delete", fmt.Errorf("%s still there after 120 s", server.ID))
		}
		time.Sleep(500 * time.Millisecond)
	}
	fmt.Printf("DELETED %s\n", server.ID)
}
