module example.com/lockgraph

go 1.26
