Console.WriteLine("Puma demo: coming with the core runtime.");
