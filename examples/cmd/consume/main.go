// Command consume reads a topic as a group member and prints batch sizes. It
// is the example program kafkalint runs on: see ../../consumer.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/kafkalint/kafkalint/examples/consumer"
)

func main() {
	broker := flag.String("broker", "localhost:9092", "broker address")
	group := flag.String("group", "example", "consumer group")
	flag.Parse()

	c := consumer.New(*broker, *group)
	if err := c.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for offset := int64(0); ; offset++ {
		batch, err := c.Poll()
		if err != nil {
			log.Print(err)
			return
		}
		log.Printf("batch of %d bytes", len(batch))
		if err := c.Commit(offset); err != nil {
			log.Print(err)
		}
	}
}
